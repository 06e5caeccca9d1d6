# A service image: every CMD here is a plain word list.
FROM debian:12-slim
RUN apt-get update && apt-get install -y curl
cmd curl --version
Cmd   nginx -g "daemon off;"   
CMD python3 -c 'print("<hello & bye>")' a\ b ""
