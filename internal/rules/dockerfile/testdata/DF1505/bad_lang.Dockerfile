FROM python:3.12-slim
# want DF1505 "pip install does not pin the versions of flask, requests.security."
RUN pip install --no-cache-dir -i https://pypi.example.com/simple flask "requests[security]" "django>=4.2"
# want DF1505 "pip3 install does not pin the version of gunicorn"
RUN pip3 install -r requirements.txt gunicorn
# want DF1505 "python3 -m pip install .* httpx"
RUN python3 -m pip install --upgrade pip setuptools httpx
# want DF1505 "pip install does not pin the version of pip$"
RUN pip install --user pip
# want DF1505 "npm install does not pin the versions of @angular/cli, sax"
RUN npm i -g @angular/cli sax@latest typescript@5.4.5
# want DF1505 "yarn add does not pin the version of left-pad"
RUN yarn global add left-pad
# want DF1505 "gem install does not pin the versions of grpc, blunder"
RUN gem install grpc -v ${GRPC_RUBY_VERSION} blunder
# want DF1505 "gem install does not pin the version of bundler"
RUN ["gem", "install", "bundler"]
# want DF1505 "go install does not pin the version of golang.org/x/tools/gopls@latest"
RUN go install -ldflags "-s -w" golang.org/x/tools/gopls@latest
