FROM alpine
CMD cat /etc/os-release | grep NAME > /dev/stdout && sleep 3600
