FROM scratch
# want DF1400 "ARG SECRET_PASSPHRASE looks like a secret: ARG values are recorded"
ARG SECRET_PASSPHRASE
# want DF1400 "ENV SUPER_Secret looks like a secret: ENV values are stored in the image configuration"
ENV SUPER_Secret=foo
# want DF1400 "ENV password"
# want DF1400 "ENV secret "
ENV password=bar secret=baz
# want DF1400 "ARG super_duper_secret_token"
# want DF1400 "ARG auth "
ARG super_duper_secret_token=foo auth=bar
# want DF1400 "ENV apikey"
ENV apikey=bar sunflower=foo
# want DF1400 "ENV git_key"
ENV git_key=
