FROM python:3.12-slim AS runtime
RUN pip install -r requirements.txt
USER nobody

FROM runtime AS test
RUN pip install -r requirements-dev.txt && pytest
