FROM debian:12-slim
ENV ZOOKEEPER_VERSION=3.4.14
# want DF1507 "curl downloads http://apache.osuosl.org/zookeeper/zookeeper-3.4.14/zookeeper-3.4.14.tar.gz over plain HTTP"
RUN curl -sSL "http://apache.osuosl.org/zookeeper/zookeeper-${ZOOKEEPER_VERSION}/zookeeper-${ZOOKEEPER_VERSION}.tar.gz" | tar -xzf - -C /opt
RUN apt-get update \
# want DF1507 "wget downloads http://update.sonarr.tv/v2/x.tar.gz"
 && wget "http://update.sonarr.tv/v2/x.tar.gz" -O /tmp/sonarr.tar.gz \
 && tar -xzf /tmp/sonarr.tar.gz -C /opt
