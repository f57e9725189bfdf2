FROM ruby:3.3-slim AS app
WORKDIR /app
COPY Gemfile Gemfile.lock ./
# want DF1301 "`bundle install` installs the development and test groups"
RUN bundle install --jobs 4

FROM app
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
COPY . /var/www
# want DF1301 "`composer install` installs require-dev packages"
RUN composer install --optimize-autoloader --no-interaction
USER www-data
