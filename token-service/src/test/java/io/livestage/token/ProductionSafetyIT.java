package io.livestage.token;

import io.livestage.testing.service.LiveKitProductionSafetyTest;

/** The packaged token-service in the prod profile: LiveKit's dev key pair stops it at startup, naming the variables. */
class ProductionSafetyIT extends LiveKitProductionSafetyTest {
    ProductionSafetyIT() {
        super("token-service");
    }
}
