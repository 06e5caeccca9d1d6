FROM debian:12
RUN apt-get update \
# upgrade everything
 && apt-get upgrade -y \
 && apt-get install -y curl
