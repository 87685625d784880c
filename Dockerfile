FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd \
      poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY core core
COPY pipeline pipeline
COPY outbound outbound
COPY faxintake faxintake
COPY intake intake
COPY classifiers classifiers
COPY extractors extractors
COPY storage storage
COPY workers workers
COPY rules rules
COPY samples samples
COPY review review
COPY referrals referrals
RUN pip install --no-cache-dir -c requirements.lock '.[rapidocr]'  # locked versions; either OCR engine
ENV OMP_THREAD_LIMIT=1 FAXINTAKE_DATA_DIR=/data
RUN useradd --create-home faxintake && mkdir -p /data && chown faxintake /data
USER faxintake
ENTRYPOINT ["faxintake"]
