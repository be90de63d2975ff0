mod seqform;
