import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

// The AWS SDK's notice about its own future Node support is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
