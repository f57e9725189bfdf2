arg x=1
FROM scratch AS base
COPY Dockerfile /foo
FROM base
RUN echo from as copy
