# Spaces after a merged RUN's last word go.
FROM centos:7
RUN mkdir /var/run/sshd 
RUN ssh-keygen -A -N "" 	
RUN chmod 755 /start.sh
CMD ["/usr/sbin/sshd", "-D"]
