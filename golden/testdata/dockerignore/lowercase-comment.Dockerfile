from debian:bookworm-slim
copy . /opt/app
run chmod +x /opt/app/main.sh \
    # git describe runs in CI, not here
    && ls /opt/app
cmd ["/opt/app/main.sh"]