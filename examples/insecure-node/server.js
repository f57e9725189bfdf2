const http = require("http");
const port = process.env.PORT || 3000;
http
  .createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200);
      return res.end("ok");
    }
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("hello from shipshape's example\n");
  })
  .listen(port, () => console.log(`listening on ${port}`));
