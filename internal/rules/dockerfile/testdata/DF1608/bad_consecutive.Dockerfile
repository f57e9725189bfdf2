FROM ubuntu:24.04
# want DF1608 "5 consecutive RUN instructions \\(lines 3-8\\) could be combined into one"
RUN apt-get install -y wget
RUN wget https://example.com/downloadedfile.tar
RUN tar xvzf downloadedfile.tar
# a comment does not break the run
RUN rm downloadedfile.tar
RUN apt-get remove wget
WORKDIR /app
# want DF1608 "2 consecutive RUN instructions \\(lines 11-12\\)"
RUN mkdir -p /app/data
RUN chown nobody /app/data
