# want DF1201 "\"ubuntu\" is referenced by tag only"
FROM ubuntu
