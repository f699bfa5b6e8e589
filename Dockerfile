# Kutim Siaga on the official Airflow image: the project's pinned requirements baked in, the code
# under /opt/kutim-siaga. Built by docker-compose.yml (every Airflow service uses this image).
# Python 3.11 variant because requirements.txt is pinned for Python 3.11.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11
FROM ${AIRFLOW_IMAGE}

ENV SIAGA_HOME=/opt/kutim-siaga
WORKDIR /opt/kutim-siaga

# The runtime requirements only (requirements.txt; tests and tooling are requirements-dev.txt, not installed
# here), first, so a code change does not reinstall them. The image's own Airflow pin (3.3.2) is the one in
# requirements.txt; pip keeps it. tests/ and tools/ stay out of the image (.dockerignore).
COPY --chown=airflow:root requirements.txt /opt/kutim-siaga/requirements.txt
RUN pip install --no-cache-dir -r /opt/kutim-siaga/requirements.txt

COPY --chown=airflow:root . /opt/kutim-siaga
RUN pip install --no-cache-dir --no-deps /opt/kutim-siaga \
    && mkdir -p /opt/kutim-siaga/data/staging /opt/kutim-siaga/warehouse-data

ENV PYTHONPATH=/opt/kutim-siaga:/opt/kutim-siaga/plugins \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/kutim-siaga/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/kutim-siaga/plugins \
    SIAGA_WAREHOUSE=/opt/kutim-siaga/warehouse-data/siaga.duckdb
