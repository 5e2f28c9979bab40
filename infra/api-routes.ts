/** Where the token URL lives on the API: shared by the stack and the local runtime. Kept free
 * of cdktf imports so that `npm start` does not load the provider bindings. */
export const TOKEN_PATH = "token";
export const STAGE_NAME = "debug";
