/** A refusal by the API gateway, answered in the `ResponseMetadata.Error` shape. */
export interface GatewayError {
  status: number;
  code: string;
  codeN: number;
  message: string;
}

export const gatewayError = (status: number, code: string, codeN: number, message: string): GatewayError => ({
  status,
  code,
  codeN,
  message,
});
