# schoolbot in a small image: the wheels are built in one stage, installed in a slim one that
# runs as an unprivileged user. Build: docker build -t schoolbot .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY models models
COPY jobs jobs
COPY migrations migrations
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --create-home --home-dir /var/lib/schoolbot --shell /usr/sbin/nologin schoolbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels schoolbot && rm -rf /wheels
USER schoolbot
WORKDIR /var/lib/schoolbot
ENV DATABASE_URL=sqlite+aiosqlite:////var/lib/schoolbot/schoolbot.db \
    OPS_HOST=0.0.0.0 \
    OPS_PORT=9102 \
    LOG_FORMAT=json
VOLUME /var/lib/schoolbot
EXPOSE 9102 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:9102/healthz', timeout=4)"]
# `schoolbot run` by default; compose.yaml runs `schoolbot web` and `schoolbot worker` from it.
CMD ["schoolbot", "run"]
