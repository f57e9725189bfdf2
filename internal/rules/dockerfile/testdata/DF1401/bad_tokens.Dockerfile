FROM alpine:3.20
# want DF1401 "ENV contains a GitHub token \\(ghp_\\*{8}\\)"
ENV GH_PAT=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
# want DF1401 "ARG contains an AWS access key id \\(AKIA\\*{8}\\)"
ARG AWS_ACCESS_KEY_ID=AKIAZDOC9IS0J8HT9LGM
# want DF1401 "ENV contains an AWS secret access key"
ENV AWS_SECRET_ACCESS_KEY="VmihA+2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8"
# want DF1401 "LABEL contains a GitLab token"
LABEL ci.token.hint="glpat-SQedUStPKR0CsTy4Qwb8"
# want DF1401 "RUN contains a Slack token"
RUN curl -H "Authorization: Bearer xoxb-752917034236-671276842684-TAwR4y9ojfljoQoaF1Llqsaj" https://slack.com/api/auth.test
RUN echo building \
# want DF1401 "RUN contains a Stripe key"
    && STRIPE=sk_live_AIxNKu8iS2G8NPRVdD53X83R ./configure
# want DF1401 "RUN contains an npm token"
RUN npm config set //registry.npmjs.org/:_authToken=npm_ZJzzzzgEOzdmenCkhvMdgaKjIg8xNbe3nNyj
# want DF1401 "CMD contains a Google API key"
CMD ["app", "--maps-key", "AIzaOq9wMxEhh2FDEEtfjgVvVqE1SkHbn88HxjS"]
# want DF1401 "RUN contains a PyPI token"
RUN twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw dist/*
# want DF1401 "ENV contains a Stripe key \\(sk_\\*{8}\\)"
ENV STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc
# want DF1401 "ENV contains a GitHub token \\(github_\\*{8}\\)"
ENV GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV
# want DF1401 "ENV contains a private key"
ENV DEPLOY="-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
# want DF1401 "ENV contains a Hugging Face token"
ENV HF_HOME_TOKEN=hf_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA
