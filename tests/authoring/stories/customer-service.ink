// A customer service call: two stats, once-only choices.
// Written for sam-cowboy's import tests.
VAR patience = 3
VAR rapport = 0
VAR refunded = false
VAR agent = "Sam"
CONST MAX_PATIENCE = 5
LIST mood = calm, annoyed, furious

-> call

=== call ===
The phone rings. It is Mrs Lee, and she is angry about a late parcel.
{agent} picks up.
- (listen)
* [Apologise first]
    "I'm so sorry, Mrs Lee."
    ~ rapport += 1
* [Ask for the order number]
    "May I have your order number?"
    ~ patience--
    -> look_up ->
    The parcel left the depot a week ago.
+ {patience > 1} [Put her on hold] -> hold
* (blame) [Blame the courier]
    "It's the courier's fault, not ours."
    ~ rapport = rapport - 2
- She sighs. {rapport > 0: She sounds a little calmer.|She is still upset.} {patience >= MAX_PATIENCE: She has all the time in the world.}
-> options

= options
* {not blame} [Offer a refund] -> refund
* [Offer a discount on the next order]
    ~ bump(rapport)
    -> discount
* [Explain the delivery policy]
    She does not want to hear about policies.
    ~ patience -= 2
    -> check_patience

=== hold ===
You put her on hold for two minutes.
~ patience = patience - 1
{patience <= 1:
    She has hung up.
    -> lost
- else:
    She is still there when you come back.
}
-> call.listen

=== look_up ===
You look the order up.
->->

=== check_patience ===
{
    - patience <= 0: -> lost
    - rapport > 0: -> discount
    - else: -> call.options
}

=== refund ===
~ refunded = true
You process the refund.
* * [Thank her for her patience]
    She thanks you back. -> happy
* * [Hang up quickly]
    -> END

=== discount ===
She accepts a ten percent discount. # mood: relieved
-> happy

=== happy ===
Mrs Lee ends the call satisfied.
{refunded: The refund will arrive in three days.}
-> END

=== lost ===
The customer is lost. <- survey
-> END

=== survey ===
Rate your call.
-> DONE

=== function bump(ref x)
    ~ x = x + 1
