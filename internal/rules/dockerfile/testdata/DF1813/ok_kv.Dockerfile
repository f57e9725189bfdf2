FROM scratch
ENV testkey=value other="two words"
LABEL key=value
ARG name value=1
