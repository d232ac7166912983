package io.livestage.recording;

import io.livestage.testing.service.LiveKitProductionSafetyTest;

/** The packaged recording-service in the prod profile: LiveKit's dev key pair stops it at startup, naming the variables. */
class ProductionSafetyIT extends LiveKitProductionSafetyTest {
    ProductionSafetyIT() {
        super("recording-service");
    }
}
