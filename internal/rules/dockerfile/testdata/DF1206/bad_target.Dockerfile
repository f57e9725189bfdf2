# want DF1206 "--platform=.TARGETPLATFORM on stage #0 is the default"
FROM --platform=$TARGETPLATFORM scratch
