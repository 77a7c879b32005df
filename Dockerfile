# socialapi-mock as a container: `socialapi-mock serve` on 0.0.0.0:8080, healthy once /_mock/ready says so.
#
#   docker build -t socialapi-mock .
#   docker run --rm -p 127.0.0.1:8080:8080 -e MOCKSERVER_CONTROL_TOKEN=<a secret> socialapi-mock
#
# The container listens on every interface, so it does not start without a control token (anyone who
# reaches the port could otherwise reset or read every tenant). To serve an open control plane anyway,
# say so: `-e MOCKSERVER_OPEN_CONTROL=warn` (it then starts with a warning).
#
# BASE is any image with python3 (3.11+) and its venv module: the official slim image by default;
# `make container-check` passes a Debian bookworm image built from Debian packages instead.
ARG BASE=python:3.12-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/socialapi-mock/bin:$PATH \
    MOCKSERVER_PORT=8080 \
    MOCKSERVER_OPEN_CONTROL=refuse

# The package and its bundled fixtures and scenarios, installed from the build context into a venv.
COPY pyproject.toml README.md LICENSE /src/
COPY mockserver /src/mockserver
COPY fixtures /src/fixtures
COPY scenarios /src/scenarios
RUN python3 -m venv /opt/socialapi-mock \
    && /opt/socialapi-mock/bin/pip install /src \
    && rm -rf /src \
    && useradd --uid 10001 --shell /usr/sbin/nologin --home-dir /var/lib/socialapi-mock --create-home socialapi-mock

# Not root: the mock needs no privilege. Its home is where a --state-file can live (mount a volume).
USER socialapi-mock
WORKDIR /var/lib/socialapi-mock

# Change the port with MOCKSERVER_PORT, not --port: the health check reads the same variable.
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["socialapi-mock", "healthcheck", "--timeout", "2"]

# Arguments after the image name are added to serve: `docker run socialapi-mock --seed 7`.
ENTRYPOINT ["socialapi-mock", "serve", "--host", "0.0.0.0"]
