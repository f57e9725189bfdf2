FROM python:3.12-slim AS py
WORKDIR /srv
# want DF1700 "before `pip install -r requirements.txt` at line 5"
COPY . /srv
RUN pip install --no-cache-dir -r requirements.txt

FROM golang:1.23 AS go
WORKDIR /src
COPY README.md ./
# want DF1700 "ADD . /src copies the whole context before `go mod download` at line 12"
ADD . /src
RUN go mod download && go build -o /out/app .

FROM ruby:3.3 AS rb
# want DF1700 "`bundle install`"
COPY --chown=app:app ./ /app/
RUN cd /app && bundle install
