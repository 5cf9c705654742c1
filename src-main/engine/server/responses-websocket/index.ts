export { ResponsesWebSocketService, type ResponsesWebSocketDeps, type RequestListener } from './service';
