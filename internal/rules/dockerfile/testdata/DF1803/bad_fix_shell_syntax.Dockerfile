FROM alpine:3.20
# Shell syntax keeps the shell form: no fix.
# want DF1803 "CMD echo \\$HOME"
CMD echo $HOME
# want DF1803 "CMD cd /srv"
CMD cd /srv && ./run
# want DF1803 "CMD ./serve"
CMD ./serve 2>&1
