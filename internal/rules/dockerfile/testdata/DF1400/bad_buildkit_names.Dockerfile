FROM scratch
# want DF1400 "ARG SECRET_PASSPHRASE looks like a secret: ARG values are recorded"
ARG SECRET_PASSPHRASE
# want DF1400 "ENV SUPER_Secret looks like a secret: ENV values are stored in the image configuration"
ENV SUPER_Secret=foo
# want DF1400 "ENV password"
# want DF1400 "ENV secret "
ENV password=bar secret=baz
# `auth` is a bare AUTH: its default `bar` is a word, not a credential
# (BuildKit reports it; see internal/conformance/deviations/stage_secrets.yaml).
# want DF1400 "ARG super_duper_secret_token"
ARG super_duper_secret_token=foo auth=bar
# want DF1400 "ENV apikey"
ENV apikey=bar sunflower=foo
# An empty value for a bare KEY holds nothing and says nothing.
ENV git_key=
