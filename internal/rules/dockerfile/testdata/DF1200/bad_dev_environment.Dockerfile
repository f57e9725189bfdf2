# A development image (the file's name says so) is not deployed.
# want DF1200 "\"node\" has no tag" severity=low
FROM node
CMD ["npm", "run", "dev"]
