# A build directory the RUN deletes again, and one under /tmp: WORKDIR
# would keep them in the image.
FROM debian:12-slim
RUN set -eux; \
	mkdir -p /usr/src/python; \
	tar --extract --directory /usr/src/python --file python.tar.xz; \
	cd /usr/src/python; \
	./configure && make && make install; \
	cd /; \
	rm -rf /usr/src/python
RUN cd /tmp && curl -fsSLO https://example.com/tool.tgz && tar -xzf tool.tgz -C /opt && rm tool.tgz
