// Package service is the API between a front end (pkg/terminal, later the
// JSON-RPC and DAP servers) and the debugger. Client has one method per
// user operation; its values are the plain types of service/api.
//
// service/debugger implements Client in process. The terminal imports only
// service and service/api, never pkg/proc or a backend.
package service
