FROM rocker/shiny:4.4.1
RUN apt-get update && apt-get install -y libcurl4-gnutls-dev libssl-dev
RUN R -e "install.packages(c('shinydashboard', 'DT'), repos='https://cloud.r-project.org/')"
COPY ./app /srv/shiny-server/
EXPOSE 3838
CMD ["/usr/bin/shiny-server"]
