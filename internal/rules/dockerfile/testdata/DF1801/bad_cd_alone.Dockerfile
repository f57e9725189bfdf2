FROM nginx:1.27
# want DF1801 "has no effect on later instructions"
RUN cd /usr/share/nginx/html
ENV APP=/srv/app
# want DF1801 "cd \\$APP inside RUN"
RUN sudo mkdir -p $APP && cd $APP && touch x
