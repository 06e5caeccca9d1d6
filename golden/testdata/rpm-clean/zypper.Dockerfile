FROM opensuse/leap:15.6
RUN zypper refresh && zypper in curl
RUN zypper --non-interactive install git
