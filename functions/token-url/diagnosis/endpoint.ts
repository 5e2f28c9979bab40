/** Which of a skill's two OAuth endpoints a finding is about, named as the Alexa console names
 * it, so the URL, transport and certificate rules serve both. */
export interface Endpoint {
  /** In a sentence: "The token URL's certificate …". */
  readonly name: string;
  /** The field in the console's Account Linking page that holds the URL. */
  readonly consoleField: string;
}

export const TOKEN_ENDPOINT: Endpoint = { name: "token URL", consoleField: "Access Token URI" };

export const AUTHORIZATION_ENDPOINT: Endpoint = { name: "authorization URI", consoleField: "Web Authorization URI" };
