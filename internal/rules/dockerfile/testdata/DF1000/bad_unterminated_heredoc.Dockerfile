FROM alpine:3.20
# want DF1000 "unterminated heredoc"
RUN <<EOT
echo never closed
