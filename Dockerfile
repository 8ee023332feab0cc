# mailbot: the daemon as the entry point, running as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    MAILBOT_CONFIG=/etc/mailbot/config.yaml \
    MAILBOT_LISTEN__SMTP__HOST=0.0.0.0

# Tesseract with our clients' languages: the personal-data guard reads screenshots and scanned PDFs with it
# (without it, OCR is off and such files count as unscannable).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-lav tesseract-ocr-lit \
       tesseract-ocr-ron tesseract-ocr-slk tesseract-ocr-rus \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml README.md ./
COPY mailbot ./mailbot
COPY templates ./templates
COPY migrations ./migrations
RUN pip install --no-cache-dir . && rm -rf /src \
    && useradd --system --home-dir /var/lib/mailbot --create-home mailbot \
    && mkdir -p /etc/mailbot

COPY config.example.yaml /etc/mailbot/config.yaml
USER mailbot
WORKDIR /var/lib/mailbot
VOLUME ["/var/lib/mailbot"]
EXPOSE 2525 2424

HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["mailbot", "health"]
ENTRYPOINT ["mailbot"]
CMD ["run"]
