FROM node:20-slim AS scripted
ENTRYPOINT ["docker-entrypoint.sh"]
# This CMD reaches the entrypoint script as `/bin/sh -c "node server.js"`: left alone.
CMD node server.js

FROM node:20-slim AS wrapped
ENTRYPOINT ["/usr/bin/tini", "--"]
# tini only runs its arguments: converted.
CMD node server.js
