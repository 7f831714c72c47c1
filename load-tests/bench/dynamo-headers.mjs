// The headers of a DynamoDB JSON request from the Node.js benchmark scripts (load.mjs, probe.mjs):
// a well-formed but unsigned Authorization header, which Eddy in development mode, DynamoDB Local
// and dynalite accept.
export const dynamoHeaders = (operation, body) => ({
  "Content-Type": "application/x-amz-json-1.0",
  "Content-Length": Buffer.byteLength(body),
  "X-Amz-Target": `DynamoDB_20120810.${operation}`,
  "X-Amz-Date": "20260101T000000Z",
  "Authorization": "AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00",
});
