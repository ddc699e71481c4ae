# Builds the golden scenario in three fresh namespaces ${P}host, ${P}pod, ${P}lan (run as
# root; the caller deletes them). Same steps as test/helpers/kernel.ts goldenWorld().
set -e
P=${P:-nsB-}   # namespace name prefix (the goldens use nsB-)
ip netns add ${P}host; ip netns add ${P}pod; ip netns add ${P}lan
H="ip -n ${P}host"; POD="ip -n ${P}pod"
$H link set lo up; $POD link set lo up
$H link add cni0 type bridge
$H link set cni0 address 0a:00:00:00:00:01
$H link add veth1 type veth peer name eth0 netns ${P}pod
$H link set veth1 address 0a:00:00:00:00:02
$POD link set eth0 address 0a:00:00:00:00:03
$H link set veth1 master cni0
$H link set veth1 up
$H link set cni0 up
$POD link set eth0 up
$H addr add 10.244.1.1/24 dev cni0
$POD addr add 10.244.1.2/24 dev eth0
$POD route add default via 10.244.1.1 dev eth0
$POD route add 10.244.0.0/16 via 10.244.1.1 dev eth0
$H link add eth0 type veth peer name lan0 netns ${P}lan
$H link set eth0 address 0a:00:00:00:00:04
ip -n ${P}lan link set lan0 address 0a:00:00:00:00:05
ip -n ${P}lan link set lan0 up
$H link set eth0 up
$H addr add 192.168.1.11/24 dev eth0
$H addr add 192.168.1.50/24 dev eth0
$H addr add 10.0.0.0/8 dev eth0
$H addr add fd00::1/64 dev eth0 nodad
$H route add 10.0.0.0/24 via 192.168.1.1
$H route add default via 192.168.1.1 dev eth0 proto static metric 100
$H route add blackhole 10.244.120.64/26 proto bird
$H route add 10.244.33.128/26 via 192.168.1.12 dev eth0 proto bird onlink
$H route add unreachable 172.16.0.0/12
$H route add prohibit 172.31.0.0/16 metric 5
$H route add 172.20.0.0/16 dev eth0 scope link src 192.168.1.11 table 100
$H route add 172.20.0.0/16 dev eth0 metric 10
$H route add 172.20.0.0/16 dev cni0 metric 5
$H route add 172.21.0.0/16 dev eth0 table 7
$H -6 route add fd01::/48 via fd00::2 dev eth0
$H -6 route add fd00::/48 dev eth0
$H -6 route add default via fd00::5 dev eth0
$H rule add fwmark 0x10/0xff lookup 100 priority 100
$H rule add from 10.244.0.0/16 to 10.96.0.0/12 iif cni0 lookup 100 priority 200
$H rule add oif eth0 lookup main priority 300
$H rule add from all lookup 7
$H neigh add 192.168.1.12 lladdr 5e:1a:2b:3c:4d:01 dev eth0 nud permanent
$H neigh add 192.168.1.13 dev eth0 nud failed
$H link add cni1 type bridge
$H link set cni1 address 0a:00:00:00:00:06
$H link set cni1 up
$H link set veth1 type bridge_slave hairpin on
$H link add flannel.1 type vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning
$H link set flannel.1 address 0a:00:00:00:00:07
$H link set flannel.1 mtu 1450
$H link set flannel.1 up
$H addr add 10.244.1.0/32 dev flannel.1
bridge -n ${P}host fdb append 5e:1a:2b:3c:4d:02 dev flannel.1 dst 192.168.1.12
$H neigh add 10.244.2.0 lladdr 5e:1a:2b:3c:4d:02 dev flannel.1 nud permanent
