# From seeds/004_f8fefdbd438f565c.txt, "Secrets Management" ("NEVER do
# this"); the seed shows only the ENV, the FROM line is added.
FROM node:20-alpine
ENV DATABASE_PASSWORD=supersecret
