# want DF1205 "stage #0 is pinned to the constant platform \"linux/amd64\""
FROM --platform=linux/amd64 node:22-slim
