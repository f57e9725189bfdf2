FROM alpine:3.5
# Installing or configuring sudo is not running through it.
RUN apk add --no-cache sudo sudoku
RUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app && chmod 0440 /etc/sudoers.d/app
RUN apt-get install sudo
RUN echo "use sudo carefully"
