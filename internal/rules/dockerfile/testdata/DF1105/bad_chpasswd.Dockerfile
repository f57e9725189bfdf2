FROM ubuntu:20.04
# want DF1105 "chpasswd sets a password for root in the image"
RUN echo 'root:root' | chpasswd
# want DF1105 "chpasswd gives root an empty password"
RUN echo 'root:' | chpasswd
# want DF1105 "password for someuser"
RUN apt-get update && echo "someuser:somepasswd" | chpasswd && echo "lol"
RUN apt-get update ;\
    apt-get clean ; \
# want DF1105 "password for root"
    echo 'root:root' | chpasswd
# want DF1105 "from input.txt"
RUN chpasswd < input.txt
# want DF1105 "password for app"
RUN useradd -m app && printf 'app:%s\n' "s3cret" | chpasswd
