FROM python:3.12-slim
WORKDIR /app
COPY . .
# want DF1301 "pip installs development requirements from requirements-dev.txt"
RUN pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt
# want DF1301 "pip installs development requirements from requirements/test.txt"
RUN python -m pip install --requirement=requirements/test.txt
# want DF1301 "pip installs `.\\[dev,docs\\]` with its development extras"
RUN pip install -e ".[dev,docs]"
# want DF1301 "`poetry install` installs the dev group"
RUN poetry install --no-root
# want DF1301 "`poetry install --with dev` installs a development group"
RUN poetry install --with dev --no-interaction
# want DF1301 "`uv sync` installs the dev dependency group"
RUN uv sync --frozen
# want DF1301 "pipenv install --dev"
RUN pipenv install --dev --system --deploy
USER nobody
