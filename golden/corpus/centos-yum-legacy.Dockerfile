FROM centos:7
RUN yum -y update
RUN yum -y install httpd php php-mysql
RUN yum clean all
EXPOSE 80
CMD /usr/sbin/httpd -D FOREGROUND
