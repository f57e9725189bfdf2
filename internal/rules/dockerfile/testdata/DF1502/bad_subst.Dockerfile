FROM debian:12-slim
# want DF1502 "curl is executed by sh through a substitution"
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
# want DF1502 "curl is executed by bash through a substitution"
RUN bash <(curl -s https://example.com/setup.sh)
# want DF1502 "wget is executed by eval"
RUN eval "$(wget -qO- https://example.com/env.sh)"
# want DF1502 "curl is executed by bash through a substitution"
RUN /bin/bash -c "$(curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh)"
