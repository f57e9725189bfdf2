FROM nginx:1.27
ARG PORT=70000
# want DF1805 "EXPOSE \\$PORT \\(70000\\): port 70000 is outside"
EXPOSE $PORT
