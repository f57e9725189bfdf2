FROM cgr.dev/chainguard/python:latest-dev AS build
RUN pip install --user flask

FROM cgr.dev/chainguard/python:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=build /home/nonroot/.local /home/nonroot/.local
ENTRYPOINT ["python", "-m", "flask", "run"]

FROM quay.io/jupyter/scipy-notebook AS notebook
RUN pip install --no-cache-dir xgboost
