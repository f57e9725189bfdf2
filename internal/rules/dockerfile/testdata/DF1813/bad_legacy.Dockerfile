FROM scratch
# want DF1813 "ENV testkey value uses the legacy form; write ENV testkey=\"value\""
ENV testkey value
# want DF1813 "LABEL key"
LABEL key value with spaces
