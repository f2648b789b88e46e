// The test cluster's NodePort edge: the base's routes (its Ingress: API prefixes to their
// service, everything else to the client) as a small reverse proxy, for a cluster without an
// Ingress or Gateway controller. Streams both ways (live's Server-Sent Events pass unbuffered).
const http = require('node:http');

const routes = [
  ['/api/users', 'auth-srv'],
  ['/api/tickets', 'tickets-srv'],
  ['/api/orders', 'orders-srv'],
  ['/api/payments', 'payments-srv'],
  ['/api/live', 'live-srv'],
  ['/', 'client-srv'],
];
const matches = (path, prefix) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    const [, host] = routes.find(([prefix]) => matches(req.url, prefix));
    const upstream = http.request({ host, port: 3000, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.rawHeaders);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`edge: ${host}: ${err.message}\n`);
    });
    req.pipe(upstream);
  })
  .listen(8080);
