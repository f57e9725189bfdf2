FROM python:3.12-slim
ENV BUNDLE_WITHOUT="development:test"
RUN pip install --no-cache-dir -r requirements.txt -r requirements/prod.txt
RUN pip install "uvicorn[standard]" .
RUN poetry install --only main --no-root
RUN poetry install --without dev,test
RUN poetry install --no-dev
RUN uv sync --frozen --no-dev
RUN pipenv install --system --deploy
RUN bundle install
RUN bundle config set --local without 'development test' && bundle install
RUN composer install --no-dev --optimize-autoloader
RUN COMPOSER_NO_DEV=1 composer install
RUN composer require monolog/monolog
USER nobody
