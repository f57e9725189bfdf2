# want DF1000 "no instructions"
# only a comment
